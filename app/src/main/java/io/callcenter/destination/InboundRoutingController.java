package io.callcenter.destination;

import io.callcenter.identity.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/** Schedules, voice menus and where numbers go: administrators for every team, managers for their own. */
@RestController
class InboundRoutingController {

    private final DestinationService service;

    InboundRoutingController(DestinationService service) {
        this.service = service;
    }

    @GetMapping("/api/schedules")
    List<DestinationService.ScheduleJson> schedules(Caller caller) {
        return service.schedules(caller);
    }

    @PostMapping("/api/schedules")
    @ResponseStatus(HttpStatus.CREATED)
    DestinationService.ScheduleJson create(Caller caller, @RequestBody DestinationService.ScheduleJson request) {
        return service.create(caller, request);
    }

    @GetMapping("/api/schedules/{id}")
    DestinationService.ScheduleJson schedule(Caller caller, @PathVariable UUID id) {
        return service.schedule(caller, id);
    }

    @PutMapping("/api/schedules/{id}")
    DestinationService.ScheduleJson update(Caller caller, @PathVariable UUID id,
                                           @RequestBody DestinationService.ScheduleJson request) {
        return service.update(caller, id, request);
    }

    @DeleteMapping("/api/schedules/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable UUID id) {
        service.delete(caller, id);
    }

    @GetMapping("/api/menus")
    List<DestinationService.MenuJson> menus(Caller caller) {
        return service.menus(caller);
    }

    @PostMapping("/api/menus")
    @ResponseStatus(HttpStatus.CREATED)
    DestinationService.MenuJson createMenu(Caller caller, @RequestBody DestinationService.MenuJson request) {
        return service.createMenu(caller, request);
    }

    @GetMapping("/api/menus/{id}")
    DestinationService.MenuJson menu(Caller caller, @PathVariable UUID id) {
        return service.menu(caller, id);
    }

    @PutMapping("/api/menus/{id}")
    DestinationService.MenuJson updateMenu(Caller caller, @PathVariable UUID id, @RequestBody DestinationService.MenuJson request) {
        return service.updateMenu(caller, id, request);
    }

    @DeleteMapping("/api/menus/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteMenu(Caller caller, @PathVariable UUID id) {
        service.deleteMenu(caller, id);
    }

    @GetMapping("/api/numbers/{e164}/destination")
    DestinationService.DestinationJson numberDestination(Caller caller, @PathVariable String e164) {
        return service.numberDestination(caller, e164);
    }

    @PutMapping("/api/numbers/{e164}/destination")
    DestinationService.DestinationJson setNumberDestination(Caller caller, @PathVariable String e164,
                                                            @RequestBody DestinationService.DestinationJson request) {
        return service.setNumberDestination(caller, e164, request);
    }

    @DeleteMapping("/api/numbers/{e164}/destination")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void clearNumberDestination(Caller caller, @PathVariable String e164) {
        service.setNumberDestination(caller, e164, null);
    }
}

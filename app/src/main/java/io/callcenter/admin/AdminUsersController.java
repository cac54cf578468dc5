package io.callcenter.admin;

import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.web.ApiProblem;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

@RestController
@RequestMapping("/api/admin/users")
class AdminUsersController {

    private final UserAdministration users;

    AdminUsersController(UserAdministration users) {
        this.users = users;
    }

    @GetMapping
    List<Views.UserView> all(Caller caller) {
        caller.require(Permissions.ADMIN);
        return users.all();
    }

    @GetMapping("/{id}")
    Views.UserView one(Caller caller, @PathVariable UUID id) {
        caller.require(Permissions.ADMIN);
        return users.one(id);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Views.UserView create(Caller caller, @RequestBody UserAdministration.NewUser request) {
        caller.require(Permissions.ADMIN);
        try {
            return users.create(request);
        } catch (DataIntegrityViolationException e) {
            throw raced(e);
        }
    }

    @PatchMapping("/{id}")
    Views.UserView update(Caller caller, @PathVariable UUID id, @RequestBody UserAdministration.UserChanges changes) {
        caller.require(Permissions.ADMIN);
        try {
            return users.update(caller, id, changes);
        } catch (DataIntegrityViolationException e) {
            throw raced(e);
        }
    }

    /** Checks run before writing; this is another request taking the same name or extension in between. */
    private static ApiProblem raced(DataIntegrityViolationException e) {
        return ApiProblem.conflict("conflict", "Conflict",
                "The user name or extension was taken meanwhile, or a team was removed; reload and try again");
    }
}

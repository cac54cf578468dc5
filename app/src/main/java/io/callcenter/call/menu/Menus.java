package io.callcenter.call.menu;

import io.callcenter.asterisk.AsteriskEvent.PlaybackFinished;
import io.callcenter.asterisk.AsteriskException;
import io.callcenter.call.CallState;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.command.CallLane;
import io.callcenter.call.limit.CallTimer;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.Leg;
import io.callcenter.call.parties.Parties;
import io.callcenter.destination.Destination;
import io.callcenter.destination.VoiceMenu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The menu room: runs {@link MenuMachine} steps on the caller's lane. The prompt is played on the caller's channel
 * (a key stops it), the wait for a key is a timer on the lane, and where the caller goes next is the inbound flow's
 * business ({@link Exit}).
 */
public final class Menus {

    private static final Logger log = LoggerFactory.getLogger(Menus.class);

    /** Sends a caller on to a menu's choice (through its schedules), as the inbound flow does for a number. */
    public interface Exit {
        void go(Call call, Destination destination, Instant at);
    }

    private final Parties parties;
    private final CallTimer timer;
    private final CallLane lane;
    private final java.time.Clock clock;
    private final Map<UUID, MenuMachine.Visit> visits = new ConcurrentHashMap<>();
    private Exit exit = (call, destination, at) -> {
        throw new IllegalStateException("no exit for menus");
    };

    public Menus(Parties parties, CallTimer timer, CallLane lane, java.time.Clock clock) {
        this.parties = parties;
        this.clock = clock;
        this.timer = timer;
        this.lane = lane;
    }

    /** Set once by the inbound flow. */
    public void exitTo(Exit exit) {
        this.exit = exit;
    }

    public boolean holds(Call call) {
        return visits.containsKey(call.id);
    }

    /** The caller enters a menu (answered first; a nested menu just starts its own prompt). */
    public void enter(Call call, VoiceMenu menu, Instant at) {
        parties.answerCaller(call, at);
        if (call.state() != CallState.MENU) {
            call.moveTo(CallState.MENU, at, "menu", menu.name());
        }
        apply(call, MenuMachine.enter(menu), at);
    }

    public void keyPressed(Call call, Leg leg, String digit, Instant at) {
        MenuMachine.Visit visit = visits.get(call.id);
        if (visit != null && leg.role == Leg.Role.CALLER) {
            apply(call, MenuMachine.decide(visit, new MenuMachine.Event.Key(digit)), at);
        }
    }

    public void playbackFinished(Call call, PlaybackFinished finished) {
        MenuMachine.Visit visit = visits.get(call.id);
        if (visit != null && finished.playbackId().equals(visit.playbackId(call.id.toString()))) {
            apply(call, MenuMachine.decide(visit, new MenuMachine.Event.PromptFinished(visit.take())), finished.at());
        }
    }

    public void legGone(Call call, Leg leg) {
        if (leg.role == Leg.Role.CALLER) {
            visits.remove(call.id);
        }
    }

    private void timedOut(Call call, int take) {
        MenuMachine.Visit visit = visits.get(call.id);
        if (visit != null && call.state() == CallState.MENU) {
            apply(call, MenuMachine.decide(visit, new MenuMachine.Event.TimedOut(take)), clock.instant());
        }
    }

    private void apply(Call call, MenuMachine.Step step, Instant at) {
        MenuMachine.Visit visit = step.visit();
        if (visit.phase() == MenuMachine.Phase.LEFT) {
            visits.remove(call.id);
        } else {
            visits.put(call.id, visit);
        }
        String key = call.id.toString();
        for (MenuMachine.Command command : step.commands()) {
            switch (command) {
                case MenuMachine.Command.PlayPrompt play -> parties.commands().send(new CallCommand.Play(
                        call.caller().channelId, MenuMachine.playbackId(key, visit.menu(), play.take()),
                        play.media()));
                case MenuMachine.Command.StopPrompt stop -> {
                    try {
                        parties.commands().send(new CallCommand.StopPlayback(
                                MenuMachine.playbackId(key, visit.menu(), stop.take())));
                    } catch (AsteriskException e) {
                        log.debug("call {}: prompt already over: {}", call.id, e.getMessage());
                    }
                }
                case MenuMachine.Command.WaitForKey wait -> {
                    UUID id = call.id;
                    timer.schedule(wait.timeout(), () -> lane.run(id, later -> timedOut(later, wait.take())));
                }
                case MenuMachine.Command.Note note -> {
                    call.note(at, note.event(), note.detail());
                    if (note.event().equals("menu key")) {
                        call.menuPath.add(note.detail());
                    }
                }
                case MenuMachine.Command.Go go -> exit.go(call, go.destination(), at);
            }
        }
    }
}

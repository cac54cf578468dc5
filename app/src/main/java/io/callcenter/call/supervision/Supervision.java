package io.callcenter.call.supervision;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.asterisk.ChannelState;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.command.Commands;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.model.Leg;
import io.callcenter.call.parties.Parties;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A supervisor on a live call: their phone and a snoop channel on the agent's leg meet in a small mixing bridge of
 * their own, so nothing of the call's own bridge (its parties, its recording) changes for a listen or a whisper.
 * Switching mode never drops the supervisor: a new snoop channel with the new whisper direction joins the
 * supervisor's bridge first, then the old one is hung up. Every step is a note in the call's event log (who, mode,
 * start, end). Runs on the call's lane, like every room; the map is shared between lanes, each call's entry is not.
 */
public final class Supervision {

    public static final String BRIDGE_PREFIX = "supervise-";
    private static final String CHANNEL_PREFIX = "supervisor-";
    private static final String SNOOP_PREFIX = "snoop-";

    /** One supervisor on one call. */
    static final class Session {
        final UUID supervisorId;
        final String supervisorName;
        final String bridgeId;
        final String phoneChannelId;
        final String agentChannelId;
        Mode mode;
        String snoopChannelId;
        /** A mode switch in flight: the new snoop channel, not yet in the bridge. */
        String nextSnoopChannelId;
        Mode nextMode;
        boolean snoopInBridge;
        boolean phoneInBridge;
        boolean ended;

        Session(UUID supervisorId, String supervisorName, String bridgeId, String phoneChannelId, String agentChannelId,
                Mode mode) {
            this.supervisorId = supervisorId;
            this.supervisorName = supervisorName;
            this.bridgeId = bridgeId;
            this.phoneChannelId = phoneChannelId;
            this.agentChannelId = agentChannelId;
            this.mode = mode;
        }
    }

    private final Commands asterisk;
    private final Duration ringTimeout;
    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();

    public Supervision(Commands asterisk, Duration ringTimeout) {
        this.asterisk = asterisk;
        this.ringTimeout = ringTimeout;
    }

    /**
     * Starts supervising the call from the supervisor's phone, or switches the mode of the supervisor already on it.
     *
     * @param phoneEndpoint the supervisor's own phone, e.g. {@code PJSIP/9001}; rung with auto-answer
     */
    public void watch(Call call, UUID supervisorId, String supervisorName, String phoneEndpoint, Mode mode, Instant at) {
        call.requireTalking();
        Leg agentLeg = agentLeg(call);
        Session session = sessions.get(call.id);
        if (session != null && !session.supervisorId.equals(supervisorId)) {
            throw new CommandRefused("already-supervised", "This call is already supervised by " + session.supervisorName);
        }
        if (session != null) {
            switchMode(call, session, mode, at);
            return;
        }
        String key = UUID.randomUUID().toString();
        session = new Session(supervisorId, supervisorName, BRIDGE_PREFIX + key, CHANNEL_PREFIX + key,
                agentLeg.channelId, mode);
        sessions.put(call.id, session);
        asterisk.send(new CallCommand.CreateBridge(session.bridgeId));
        session.snoopChannelId = snoop(call, session, mode);
        Map<String, String> variables = Parties.autoAnswer(new HashMap<>(), call.id);
        // Dialled once it is in the application: Asterisk can answer the create before the channel is in Stasis,
        // and a dial sent meanwhile is refused with 409 (seen in SupervisionIT under load).
        asterisk.send(new CallCommand.CreateChannel(call.id, session.phoneChannelId, phoneEndpoint, variables));
        call.note(at, "supervision requested", describe(session, mode));
    }

    /** Ends the supervisor's session (they hang up on the console, or leave the call to itself). */
    public void stop(Call call, UUID supervisorId, Instant at) {
        Session session = sessions.get(call.id);
        if (session == null || !session.supervisorId.equals(supervisorId)) {
            throw new CommandRefused("not-supervising", "You are not supervising this call");
        }
        end(call, session, at, "stopped", null);
    }

    /** Whether the channel is one of this room's (the supervisor's phone or a snoop), so no party of the call. */
    public boolean owns(Call call, String channelId) {
        Session session = sessions.get(call.id);
        return session != null && (channelId.equals(session.phoneChannelId) || channelId.equals(session.snoopChannelId)
                || channelId.equals(session.nextSnoopChannelId));
    }

    public Optional<Mode> mode(Call call) {
        return Optional.ofNullable(sessions.get(call.id)).map(s -> s.mode);
    }

    /**
     * The engine hands every event of a call here first: those about this room's channels (the supervisor's phone,
     * snoop channels) are handled here and are no party's business; the rest returns false.
     */
    public boolean on(Call call, AsteriskEvent event) {
        String channelId = event instanceof AsteriskEvent.DialResult dial ? dial.peerChannelId()
                : event.channelId().orElse(null);
        if (channelId == null || !owns(call, channelId)) {
            return false;
        }
        switch (event) {
            case AsteriskEvent.StasisStart start -> entered(call, channelId, start.at());
            case AsteriskEvent.ChannelStateChanged changed -> {
                if (changed.channel().state() == ChannelState.UP) {
                    answered(call, channelId, changed.at());
                }
            }
            case AsteriskEvent.DialResult dial -> {
                if ("ANSWER".equals(dial.status())) {
                    answered(call, channelId, dial.at());
                } else if (java.util.Set.of("BUSY", "NOANSWER", "CONGESTION", "CHANUNAVAIL", "CANCEL").contains(dial.status())) {
                    // The supervisor's phone was not reached: the session ends and the phone channel goes too.
                    end(call, sessions.get(call.id), dial.at(), "supervisor's phone " + dial.status().toLowerCase(java.util.Locale.ROOT), null);
                }
            }
            case AsteriskEvent.ChannelDestroyed destroyed -> gone(call, channelId, destroyed.at());
            case AsteriskEvent.StasisEnd end -> gone(call, channelId, end.at());
            default -> {
                // Hangup requests, DTMF, playbacks: nothing to decide for a supervisor's channel.
            }
        }
        return true;
    }

    /**
     * A channel of this room entered the application: the supervisor's phone is dialled; a snoop goes into the
     * supervisor's bridge, and on a switch the old one is dropped.
     */
    public void entered(Call call, String channelId, Instant at) {
        Session session = sessions.get(call.id);
        if (session == null || session.ended) {
            return;
        }
        if (channelId.equals(session.phoneChannelId)) {
            asterisk.send(new CallCommand.Dial(session.phoneChannelId, ringTimeout));
        } else if (channelId.equals(session.snoopChannelId)) {
            asterisk.send(new CallCommand.AddToBridge(session.bridgeId, channelId));
            session.snoopInBridge = true;
        } else if (channelId.equals(session.nextSnoopChannelId)) {
            asterisk.send(new CallCommand.AddToBridge(session.bridgeId, channelId));
            String old = session.snoopChannelId;
            session.snoopChannelId = channelId;
            session.nextSnoopChannelId = null;
            session.mode = session.nextMode;
            session.nextMode = null;
            asterisk.send(new CallCommand.Hangup(old, HangupReason.NORMAL));
            call.note(at, "supervision mode", describe(session, session.mode));
        }
    }

    /** The supervisor's phone answered: they hear the call from now on. */
    public void answered(Call call, String channelId, Instant at) {
        Session session = sessions.get(call.id);
        // Asterisk reports an answer more than once (the dial's result and the channel's state): the first counts.
        if (session == null || session.ended || !channelId.equals(session.phoneChannelId) || session.phoneInBridge) {
            return;
        }
        asterisk.send(new CallCommand.AddToBridge(session.bridgeId, channelId));
        session.phoneInBridge = true;
        call.note(at, "supervision started", describe(session, session.mode));
    }

    /**
     * A channel went away. The supervisor's phone: the session ends. The agent's leg: there is nothing left to
     * supervise. A snoop channel of a finished switch: nothing to do.
     */
    public void gone(Call call, String channelId, Instant at) {
        Session session = sessions.get(call.id);
        if (session == null) {
            return;
        }
        if (channelId.equals(session.phoneChannelId)) {
            session.phoneInBridge = false;
            end(call, session, at, "supervisor hung up", channelId);
        } else if (channelId.equals(session.agentChannelId)) {
            end(call, session, at, "agent left the call", null);
        } else if (channelId.equals(session.snoopChannelId) && !session.ended) {
            end(call, session, at, "snoop channel gone", channelId);
        }
    }

    /** The call is ending: the supervisor leaves with it. */
    public void callEnding(Call call, Instant at) {
        Session session = sessions.get(call.id);
        if (session != null) {
            end(call, session, at, "call ended", null);
        }
    }

    private void switchMode(Call call, Session session, Mode mode, Instant at) {
        if (mode == session.mode && session.nextSnoopChannelId == null) {
            return;
        }
        if (session.nextSnoopChannelId != null) {
            // A switch already in flight: its snoop channel is replaced by one with the latest wish.
            asterisk.send(new CallCommand.Hangup(session.nextSnoopChannelId, HangupReason.NORMAL));
        }
        session.nextMode = mode;
        session.nextSnoopChannelId = snoop(call, session, mode);
        call.note(at, "supervision mode requested", describe(session, mode));
    }

    private String snoop(Call call, Session session, Mode mode) {
        String snoopId = SNOOP_PREFIX + UUID.randomUUID();
        asterisk.send(new CallCommand.Snoop(call.id, snoopId, session.agentChannelId, Mode.SPY, mode.whisper()));
        return snoopId;
    }

    /** @param goneChannel a channel already gone, not to be hung up again (Asterisk would refuse) */
    private void end(Call call, Session session, Instant at, String why, String goneChannel) {
        if (session.ended) {
            return;
        }
        session.ended = true;
        sessions.remove(call.id, session);
        for (String channel : new String[]{session.phoneChannelId, session.snoopChannelId, session.nextSnoopChannelId}) {
            if (channel != null && !channel.equals(goneChannel)) {
                asterisk.send(new CallCommand.Hangup(channel, HangupReason.NORMAL));
            }
        }
        asterisk.send(new CallCommand.DestroyBridge(session.bridgeId));
        call.note(at, "supervision ended", describe(session, session.mode) + "; " + why);
    }

    private static Leg agentLeg(Call call) {
        if (call.agentId == null) {
            throw new CommandRefused("no-agent", "No agent is in this call");
        }
        return call.agentLegOf(call.agentId);
    }

    private static String describe(Session session, Mode mode) {
        return mode.name().toLowerCase(java.util.Locale.ROOT) + " by " + session.supervisorName;
    }
}

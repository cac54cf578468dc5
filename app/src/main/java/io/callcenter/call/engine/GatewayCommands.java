package io.callcenter.call.engine;

import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.command.Commands;
import io.callcenter.call.parties.Parties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Executes the decisions' commands on Asterisk, in order, as they come. */
final class GatewayCommands implements Commands {

    private static final Logger log = LoggerFactory.getLogger(GatewayCommands.class);

    private final AsteriskGateway asterisk;
    private final Map<String, UUID> callByChannel;

    GatewayCommands(AsteriskGateway asterisk, Map<String, UUID> callByChannel) {
        this.asterisk = asterisk;
        this.callByChannel = callByChannel;
    }

    /**
     * The call's other channels: with several Asterisk nodes (issue 17) a new leg is made on their node, since it
     * will be bridged with them and a bridge cannot span nodes. One Asterisk ignores them.
     */
    private List<String> otherChannelsOf(UUID callId, String channelId) {
        return callByChannel.entrySet().stream()
                .filter(entry -> callId.equals(entry.getValue()) && !entry.getKey().equals(channelId))
                .map(Map.Entry::getKey).toList();
    }

    @Override
    public void send(CallCommand command) {
        log.trace("{}", command);
        switch (command) {
            case CallCommand.Answer answer -> asterisk.answer(answer.channelId());
            case CallCommand.Ring ring -> asterisk.ring(ring.channelId());
            case CallCommand.StopRinging stop -> asterisk.stopRinging(stop.channelId());
            case CallCommand.CreateBridge create -> asterisk.createBridge(create.bridgeId(), create.bridgeId());
            case CallCommand.CreateHoldingBridge create -> asterisk.createHoldingBridge(create.bridgeId(), create.bridgeId());
            case CallCommand.StartMoh moh -> asterisk.startMoh(moh.bridgeId(), moh.mohClass());
            case CallCommand.DestroyBridge destroy -> asterisk.destroyBridge(destroy.bridgeId());
            case CallCommand.AddToBridge add -> asterisk.addToBridge(add.bridgeId(), add.channelId());
            case CallCommand.RemoveFromBridge remove -> asterisk.removeFromBridge(remove.bridgeId(), remove.channelId());
            case CallCommand.CreateChannel create -> {
                // Known before it exists: its StasisStart may come before createChannel returns.
                callByChannel.put(create.channelId(), create.callId());
                asterisk.createChannel(new AsteriskGateway.ChannelRequest(create.channelId(), create.endpoint(),
                        List.of(Parties.LEG, create.callId().toString()), create.variables(),
                        otherChannelsOf(create.callId(), create.channelId()), create.ringTimeout()));
            }
            case CallCommand.Dial dial -> asterisk.dial(dial.channelId(), null, dial.ringTimeout());
            case CallCommand.Hangup hangup -> asterisk.hangup(hangup.channelId(), hangup.reason());
            case CallCommand.Play play -> asterisk.play(play.channelId(), play.playbackId(), play.media());
            case CallCommand.PlayOnBridge play -> asterisk.playOnBridge(play.bridgeId(), play.playbackId(), play.media());
            case CallCommand.StopPlayback stop -> asterisk.stopPlayback(stop.playbackId());
            case CallCommand.SetVariable set -> asterisk.setVariable(set.channelId(), set.name(), set.value());
            case CallCommand.RecordBridge record -> asterisk.recordBridge(record.bridgeId(), record.name(), record.format());
            case CallCommand.MuteRecording mute -> asterisk.muteRecording(mute.name(), mute.muted());
            case CallCommand.RecordChannelMix record -> asterisk.recordChannelMix(record.channelId(), record.name(), record.format());
            case CallCommand.MuteChannelMix mute -> asterisk.muteChannelMix(mute.channelId(), mute.muted());
            case CallCommand.RecordChannel record -> asterisk.recordChannel(record.channelId(), record.name(),
                    record.format(), record.maxDuration(), record.maxSilence(), record.beep(), record.terminateOn());
            case CallCommand.Subscribe subscribe -> asterisk.subscribe(subscribe.channelIds(), subscribe.bridgeIds());
            case CallCommand.Snoop snoop -> {
                // Like a created channel: its StasisStart must find its call.
                callByChannel.put(snoop.snoopChannelId(), snoop.callId());
                asterisk.snoop(snoop.channelId(), snoop.snoopChannelId(), snoop.spy(), snoop.whisper(),
                        List.of(Parties.LEG, snoop.callId().toString()));
            }
        }
    }
}

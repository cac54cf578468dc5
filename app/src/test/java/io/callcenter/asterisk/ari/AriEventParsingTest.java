package io.callcenter.asterisk.ari;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.ChannelState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** ARI JSON as Asterisk 22.10 sends it, including fields newer than ari4java's bindings. */
class AriEventParsingTest {

    private final AriEventParser parser = new AriEventParser();

    @Test
    void stasis_start_carries_the_channel_and_the_application_arguments() {
        AsteriskEvent event = parser.parse("""
                {"type":"StasisStart","timestamp":"2026-11-22T13:00:00.123+0000","args":["inbound"],
                 "channel":{"id":"callcenter-1.7","name":"PJSIP/telnyx-00000003","state":"Ring",
                   "protocol_id":"abc@127.0.0.2","caller":{"name":"","number":"+15551230000"},
                   "connected":{"name":"","number":""},"accountcode":"",
                   "dialplan":{"context":"from-trunk","exten":"+15550100","priority":2,"app_name":"Stasis",
                               "app_data":"callcenter,inbound"},
                   "creationtime":"2026-11-22T13:00:00.100+0000","language":"en","tenantid":""},
                 "asterisk_id":"00:00:00:00:00:00","application":"callcenter"}""").orElseThrow();
        var start = (AsteriskEvent.StasisStart) event;
        assertThat(start.at()).isEqualTo(Instant.parse("2026-11-22T13:00:00.123Z"));
        assertThat(start.args()).containsExactly("inbound");
        assertThat(start.channel().state()).isEqualTo(ChannelState.RING);
        assertThat(start.channel().endpointResource()).isEqualTo("telnyx");
        assertThat(start.channel().dialplanExten()).isEqualTo("+15550100");
        assertThat(start.channel().inStasisApp("callcenter")).isTrue();
        assertThat(start.channel().inStasisApp("callcenter2")).isFalse();
    }

    @Test
    void hangup_request_and_destroyed_carry_the_q850_cause_and_ignore_unknown_fields() {
        var request = (AsteriskEvent.HangupRequested) parser.parse("""
                {"type":"ChannelHangupRequest","timestamp":"2026-11-22T13:00:01.000+0000","cause":17,
                 "tech_cause":486,"channel":{"id":"c1","name":"PJSIP/1001-1","state":"Up"}}""").orElseThrow();
        assertThat(request.cause()).isEqualTo(17);
        var destroyed = (AsteriskEvent.ChannelDestroyed) parser.parse("""
                {"type":"ChannelDestroyed","timestamp":"2026-11-22T13:00:01.000+0000","cause":16,
                 "cause_txt":"Normal Clearing","tech_cause":200,"channel":{"id":"c1","name":"PJSIP/1001-1"}}""")
                .orElseThrow();
        assertThat(destroyed.cause()).isEqualTo(16);
        assertThat(destroyed.causeText()).isEqualTo("Normal Clearing");
    }

    @Test
    void dial_playback_and_dtmf_events_name_their_channel() {
        var dial = (AsteriskEvent.DialResult) parser.parse("""
                {"type":"Dial","timestamp":"2026-11-22T13:00:01.000+0000","dialstatus":"BUSY",
                 "peer":{"id":"leg-1","name":"PJSIP/telnyx-2"}}""").orElseThrow();
        assertThat(dial.channelId()).contains("leg-1");
        assertThat(dial.status()).isEqualTo("BUSY");
        var onChannel = (AsteriskEvent.PlaybackFinished) parser.parse("""
                {"type":"PlaybackFinished","timestamp":"2026-11-22T13:00:01.000+0000",
                 "playback":{"id":"p1","target_uri":"channel:c9","state":"done"}}""").orElseThrow();
        assertThat(onChannel.targetChannelId()).contains("c9");
        var onBridge = (AsteriskEvent.PlaybackFinished) parser.parse("""
                {"type":"PlaybackFinished","playback":{"id":"p2","target_uri":"bridge:b1"}}""").orElseThrow();
        assertThat(onBridge.channelId()).isEqualTo(Optional.empty());
        var dtmf = (AsteriskEvent.DtmfReceived) parser.parse("""
                {"type":"ChannelDtmfReceived","digit":"5","duration_ms":120,"channel":{"id":"c1"}}""").orElseThrow();
        assertThat(dtmf.digit()).isEqualTo('5');
    }

    @Test
    void events_we_do_not_use_and_garbage_are_dropped_quietly() {
        assertThat(parser.parse("{\"type\":\"ChannelVarset\",\"variable\":\"X\",\"channel\":{\"id\":\"c1\"}}")).isEmpty();
        assertThat(parser.parse("not json")).isEmpty();
        assertThat(parser.parse("{}")).isEmpty();
    }

    /**
     * Asterisk sends the application only the types in {@code TYPES} (its event filter): a type the parser reads but
     * the filter leaves out would never arrive, so the list must be exactly the parser's cases.
     */
    @Test
    void the_event_filter_lists_exactly_the_types_the_parser_reads() throws java.io.IOException {
        String source = java.nio.file.Files.readString(
                java.nio.file.Path.of("src/main/java/io/callcenter/asterisk/ari/AriEventParser.java"));
        String switchPart = source.substring(source.indexOf("switch ("));
        java.util.Set<String> cases = new java.util.TreeSet<>();
        var matcher = java.util.regex.Pattern.compile("case ((?:\"\\w+\"(?:, )?)+) ->").matcher(switchPart);
        while (matcher.find()) {
            for (String label : matcher.group(1).split(", ")) {
                cases.add(label.replace("\"", ""));
            }
        }
        assertThat(cases).isNotEmpty();
        assertThat(new java.util.TreeSet<>(AriEventParser.TYPES)).isEqualTo(cases);
    }
}

package io.callcenter.it;

import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;

/**
 * A dialer test with alice's phone in a browser ({@link DialerRig.BrowserAgent}): the test class starts the rig in
 * its own {@code @BeforeAll} (with its clock and where its screenshots go); it is closed after all its tests.
 */
abstract class BrowserAgentCase {

    static DialerRig.BrowserAgent rig;
    final DialerCampaigns dialer = new DialerCampaigns(BrowserAgentCase::app);

    static TestApp app() {
        return rig.app();
    }

    static FakeTelnyx telnyx() {
        return rig.telnyx();
    }

    /** The carrier's phone: the people alice calls, and those the carrier transfers to us. */
    static SipPhone carrier() {
        return rig.carrier();
    }

    static BrowserSoftphone alice() {
        return rig.alice();
    }

    @AfterAll
    static void stopRig() {
        DialerRig.closeAll(rig);
        rig = null;
    }
}

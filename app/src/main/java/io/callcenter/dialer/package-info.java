/**
 * The auto-dialer: campaigns dial their leads through Telnyx Call Control with answering-machine detection, paced so
 * that humans reach an agent of the campaign's team within two seconds. The call engine connects transferred humans
 * through {@link io.callcenter.dialer.DialerService}; {@code telnyx} holds the carrier's client, webhook
 * verification and inbox.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Dialer")
package io.callcenter.dialer;

/**
 * The port to Asterisk: commands ({@link io.callcenter.asterisk.AsteriskGateway}) and events
 * ({@link io.callcenter.asterisk.AsteriskEvent}) in our own records. The {@code ari} sub-package is its only
 * implementation and the only code in the application that imports ari4java.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Asterisk port")
package io.callcenter.asterisk;

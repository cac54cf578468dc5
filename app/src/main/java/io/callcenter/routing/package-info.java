/**
 * Where calls go and may go: teams and their numbers (DIDs, caller ID, limits, recording policy), the do-not-call
 * list and phone-number normalisation (libphonenumber). Uses only {@code identity} and {@code web}; everything that
 * routes calls builds on it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Routing")
package io.callcenter.routing;

/**
 * Where an inbound call goes: one typed {@link io.callcenter.destination.Destination} (an agent, a queue, an
 * announcement then hang-up, an external number, a schedule, a voice menu, a voicemail box) used wherever a
 * call can be sent, and {@link io.callcenter.destination.Schedule}s that choose between destinations by the time in
 * their own zone (weekly open periods, exceptional periods such as holidays, a closed destination).
 *
 * <p>A DID points at a destination; the call module asks {@link io.callcenter.destination.InboundRoutes} where a call
 * to the DID goes at the moment it arrives and gets the final destination with the path that led there. Below the
 * call module (it knows no calls); uses {@code routing} (which team owns a DID), {@code identity} (who asks) and
 * {@code web} (problems). Administrators configure every team's routing, managers their own team's.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Destinations and schedules")
package io.callcenter.destination;

package io.callcenter.routing;

import java.time.Duration;
import java.util.UUID;

public record Team(UUID id, String name, String callerIdNumber, Duration maxCallDuration) {
}

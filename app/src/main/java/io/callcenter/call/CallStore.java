package io.callcenter.call;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Persistence the call engine needs; {@link CallRepository} in production, an in-memory fake in unit tests. */
interface CallStore {

    void save(Call call);

    List<UUID> openCallIds();

    List<String> openLegChannelIds();

    Optional<Call> loadOpen(UUID id);
}

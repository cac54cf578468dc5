package io.callcenter.destination;

import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.web.ApiProblem;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Listing, reading, creating, updating and deleting one kind of team-owned routing object (schedules, menus; a new
 * kind is one more instance): managers see their own team's, administrators all (another team's answers 404), each
 * is checked before it is saved and refused deletion while something still leads to it.
 *
 * @param all   the kind's objects of one team, or of all teams for null
 * @param self  the destination that leads to the object with this id (to find who still uses it)
 */
record TeamOwned<T, J>(String noun, Function<UUID, List<T>> all, Function<UUID, Optional<T>> find,
                       Function<T, UUID> teamOf, Function<T, String> nameOf, Parser<T, J> parser, Consumer<T> check,
                       Consumer<T> save, Consumer<UUID> remove, Function<UUID, Destination> self,
                       Function<T, J> json, InUse inUse) {

    interface Parser<T, J> {
        T parse(UUID id, UUID teamId, J request);
    }

    interface InUse {
        void refuse(Destination self, String what, UUID teamId);
    }

    List<J> list(Caller caller) {
        caller.require(Permissions.INBOUND_WRITE);
        return all.apply(caller.isAdmin() ? null : caller.teamId()).stream().map(json).toList();
    }

    J get(Caller caller, UUID id) {
        return json.apply(visible(caller, id));
    }

    J create(Caller caller, UUID requestedTeam, J request) {
        return store(parser.parse(UUID.randomUUID(), teamFor(caller, requestedTeam), request));
    }

    J update(Caller caller, UUID id, J request) {
        return store(parser.parse(id, teamOf.apply(visible(caller, id)), request));
    }

    void delete(Caller caller, UUID id) {
        T existing = visible(caller, id);
        String what = Character.toUpperCase(noun.charAt(0)) + noun.substring(1) + " " + nameOf.apply(existing);
        inUse.refuse(self.apply(id), what, teamOf.apply(existing));
        remove.accept(id);
    }

    private J store(T object) {
        check.accept(object);
        save.accept(object);
        return json.apply(object);
    }

    private T visible(Caller caller, UUID id) {
        caller.require(Permissions.INBOUND_WRITE);
        return find.apply(id).filter(found -> caller.seesTeam(teamOf.apply(found)))
                .orElseThrow(() -> ApiProblem.notFound("No " + noun + " with id " + id));
    }

    /** The team a new object belongs to: the one asked for (if the caller sees it), else the caller's. */
    private static UUID teamFor(Caller caller, UUID requested) {
        caller.require(Permissions.INBOUND_WRITE);
        UUID teamId = requested != null ? requested : caller.teamId();
        if (teamId == null) {
            throw ApiProblem.badRequest("teamId is required");
        }
        if (!caller.seesTeam(teamId)) {
            throw ApiProblem.notFound("No team with id " + teamId);
        }
        return teamId;
    }
}

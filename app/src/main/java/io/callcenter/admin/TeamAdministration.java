package io.callcenter.admin;

import io.callcenter.routing.PhoneNumbers;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;
import io.callcenter.web.ApiProblem;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Teams, their call settings and their phone numbers (DIDs). A team's caller ID is always one of its own DIDs: a
 * number the company does not receive calls on would leave callbacks nowhere, and showing another team's number
 * sends the callbacks to the wrong people.
 */
@Service
class TeamAdministration {

    private static final Pattern PREFIX = Pattern.compile("\\+[1-9][0-9]{0,14}");
    private static final int MAX_NAME = 100;

    private final RoutingService routing;
    private final String defaultRegion;

    TeamAdministration(RoutingService routing, @Value("${callcenter.calls.default-region:US}") String defaultRegion) {
        this.routing = routing;
        this.defaultRegion = defaultRegion;
    }

    /** {@code allowedCountries} may be left out: a new team gets US and CA, an update keeps what the team had. */
    record TeamSettings(String name, String callerIdNumber, Integer maxCallSeconds, List<String> allowedPrefixes,
                        Integer wrapUpSeconds, List<String> allowedCountries) {
    }

    /** Whether a number was new to the team, and the team as it is now. */
    record NumberAdded(boolean added, Views.TeamView team) {
    }

    List<Views.TeamView> all() {
        return routing.teams().stream().map(this::view).toList();
    }

    @Transactional
    Views.TeamView create(TeamSettings settings) {
        String name = settings.name() == null ? "" : settings.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw ApiProblem.badRequest("name is required, at most " + MAX_NAME + " characters");
        }
        if (routing.teamNamed(name).isPresent()) {
            throw ApiProblem.conflict("team-exists", "Team exists", "There is already a team named " + name);
        }
        Team team = settings(UUID.randomUUID(), name, settings, new Team(null, name, null, Duration.ofHours(6)));
        routing.numberOwner(team.callerIdNumber()).ifPresent(owner -> {
            throw numberTaken(team.callerIdNumber());
        });
        return view(routing.createTeam(team));
    }

    @Transactional
    Views.TeamView update(UUID id, TeamSettings settings) {
        Team current = team(id);
        if (settings.name() != null && !settings.name().strip().equals(current.name())) {
            throw ApiProblem.badRequest("teams cannot be renamed here; leave name out or unchanged");
        }
        if (settings.callerIdNumber() == null || settings.maxCallSeconds() == null || settings.allowedPrefixes() == null
                || settings.wrapUpSeconds() == null) {
            throw ApiProblem.badRequest("PUT replaces the settings: callerIdNumber, maxCallSeconds, allowedPrefixes and"
                    + " wrapUpSeconds are all required");
        }
        Team updated = settings(id, current.name(), settings, current);
        claim(id, updated.callerIdNumber());
        routing.update(updated);
        return view(updated);
    }

    @Transactional
    NumberAdded addNumber(UUID id, String number) {
        Team team = team(id);
        String e164 = e164(number, "number");
        boolean had = routing.numbers(id).contains(e164);
        claim(id, e164);
        return new NumberAdded(!had, view(team));
    }

    @Transactional
    void removeNumber(UUID id, String number) {
        Team team = team(id);
        String e164 = e164(number, "number");
        if (e164.equals(team.callerIdNumber())) {
            throw ApiProblem.conflict("caller-id-in-use", "Number is the caller ID",
                    e164 + " is the team's caller ID; set another caller ID first");
        }
        if (!routing.removeNumber(id, e164)) {
            throw ApiProblem.notFound(e164 + " is not a number of team " + team.name());
        }
    }

    private void claim(UUID teamId, String e164) {
        if (!routing.assignNumber(teamId, e164).equals(teamId)) {
            throw numberTaken(e164);
        }
    }

    /** Fields left out of a create take the defaults of a new team (those of the database). */
    private Team settings(UUID id, String name, TeamSettings s, Team defaults) {
        String callerId = e164(s.callerIdNumber(), "callerIdNumber");
        long maxCall = s.maxCallSeconds() == null ? defaults.maxCallDuration().toSeconds() : s.maxCallSeconds();
        if (maxCall < 60 || maxCall > 86_400) {
            throw ApiProblem.badRequest("maxCallSeconds must be between 60 and 86400 (24 hours)");
        }
        long wrapUp = s.wrapUpSeconds() == null ? defaults.wrapUp().toSeconds() : s.wrapUpSeconds();
        if (wrapUp < 0 || wrapUp > 3600) {
            throw ApiProblem.badRequest("wrapUpSeconds must be between 0 and 3600");
        }
        List<String> prefixes = new ArrayList<>();
        for (String prefix : s.allowedPrefixes() == null ? defaults.allowedPrefixes() : s.allowedPrefixes()) {
            if (prefix == null || !PREFIX.matcher(prefix.strip()).matches()) {
                throw ApiProblem.badRequest("allowedPrefixes holds E.164 prefixes such as \"+1\" or \"+4420\", not '"
                        + prefix + "'");
            }
            prefixes.add(prefix.strip());
        }
        List<String> countries = new ArrayList<>();
        for (String country : s.allowedCountries() == null ? defaults.allowedCountries() : s.allowedCountries()) {
            String code = country == null ? null : country.strip().toUpperCase(java.util.Locale.ROOT);
            if (!io.callcenter.routing.PhoneNumbers.isRegion(code)) {
                throw ApiProblem.badRequest("allowedCountries holds ISO 3166 country codes such as \"US\" or \"GB\", not '"
                        + country + "'");
            }
            countries.add(code);
        }
        return new Team(id, name, callerId, Duration.ofSeconds(maxCall), List.copyOf(new LinkedHashSet<>(prefixes)),
                Duration.ofSeconds(wrapUp), List.copyOf(new LinkedHashSet<>(countries)));
    }

    private Team team(UUID id) {
        return routing.team(id).orElseThrow(() -> ApiProblem.notFound("No team with id " + id));
    }

    private String e164(String number, String field) {
        if (number == null || number.isBlank()) {
            throw invalidNumber(field + " is required");
        }
        return PhoneNumbers.toE164(number, defaultRegion)
                .orElseThrow(() -> invalidNumber(field + " '" + number + "' is not a valid phone number"));
    }

    private Views.TeamView view(Team team) {
        return Views.TeamView.of(team, routing.numbers(team.id()), routing.recordingPolicy(team.id()));
    }

    /** {@code announcement}: an Asterisk media URI every party hears as recording starts (or null for none). */
    record RecordingSettings(Boolean record, String announcement) {
    }

    private static final java.util.regex.Pattern MEDIA = java.util.regex.Pattern.compile("(sound|recording):[A-Za-z0-9_./-]{1,200}");

    Views.TeamView setRecording(UUID id, RecordingSettings settings) {
        Team team = team(id);
        if (settings.record() == null) {
            throw ApiProblem.badRequest("record (true or false) is required");
        }
        String announcement = settings.announcement() == null || settings.announcement().isBlank() ? null
                : settings.announcement().strip();
        // One media URI: ARI takes a comma as a list separator, and anything else is not a sound Asterisk can play.
        if (announcement != null && !MEDIA.matcher(announcement).matches()) {
            throw ApiProblem.badRequest("announcement must be an Asterisk media URI such as sound:conf-now-recording");
        }
        routing.setRecordingPolicy(id, new io.callcenter.routing.RecordingPolicy(settings.record(), announcement));
        return view(team);
    }

    private static ApiProblem numberTaken(String e164) {
        return ApiProblem.conflict("number-taken", "Number belongs to another team", e164 + " is a number of another team");
    }

    private static ApiProblem invalidNumber(String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-number", "Invalid number", detail);
    }
}

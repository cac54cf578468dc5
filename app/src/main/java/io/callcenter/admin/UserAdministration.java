package io.callcenter.admin;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.identity.Caller;
import io.callcenter.identity.IdentityService;
import io.callcenter.identity.Permissions;
import io.callcenter.identity.Role;
import io.callcenter.identity.User;
import io.callcenter.routing.RoutingService;
import io.callcenter.web.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Creating and changing users, with their agent. Everything is validated before the first write, and each operation
 * is one transaction, so a refused request leaves nothing behind (the agent's endpoint reaches Asterisk only after
 * the commit, see {@link AgentDirectory#create}).
 *
 * <p>Tokens carry role, team and permissions, so changes take effect at the user's next login.
 */
@Service
class UserAdministration {

    /** Same rule as the app_user table's check: checked here too, so the client gets a sentence instead of a 500. */
    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    static final Pattern EXTENSION = Pattern.compile("[0-9]{3,6}");
    private static final int MAX_NAME = 100;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] SIP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private final IdentityService identity;
    private final AgentDirectory agents;
    private final RoutingService routing;

    UserAdministration(IdentityService identity, AgentDirectory agents, RoutingService routing) {
        this.identity = identity;
        this.agents = agents;
        this.routing = routing;
    }

    record NewAgent(String extension, String phone) {
    }

    record NewUser(String username, String displayName, String role, List<String> permissions, UUID teamId,
                   String password, NewAgent agent) {
    }

    /** Absent (null) fields stay as they are. */
    record UserChanges(String displayName, String role, List<String> permissions, UUID teamId, Boolean enabled,
                       String password) {
    }

    List<Views.UserView> all() {
        var byId = new java.util.HashMap<UUID, Agent>();
        agents.all().forEach(agent -> byId.put(agent.id(), agent));
        return identity.all().stream()
                .map(user -> Views.UserView.of(user, user.agentId() == null ? null : byId.get(user.agentId()), null))
                .toList();
    }

    Views.UserView one(UUID id) {
        return view(find(id), null);
    }

    @Transactional
    Views.UserView create(NewUser request) {
        String username = required(request.username(), "username").strip().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(username).matches()) {
            throw invalid("username must be 2-64 characters: lower-case letters, digits, '.', '_' or '-', starting"
                    + " with a letter or digit");
        }
        String displayName = displayName(request.displayName());
        Role role = role(required(request.role(), "role"));
        List<String> permissions = request.permissions() == null ? role.defaultPermissions() : permissions(request.permissions());
        UUID teamId = request.teamId();
        requireTeamUnlessAdmin(role, teamId);
        password(request.password());
        if (identity.byUsername(username).isPresent()) {
            throw ApiProblem.conflict("username-taken", "User name taken", "There is already a user named " + username);
        }
        NewAgent agentRequest = request.agent();
        Agent.Phone phone = null;
        String extension = null;
        if (agentRequest != null) {
            if (role == Role.ADMIN) {
                throw invalid("an administrator cannot have an agent (phone); give the agent its own user");
            }
            extension = required(agentRequest.extension(), "agent.extension").strip();
            if (!EXTENSION.matcher(extension).matches()) {
                throw invalid("agent.extension must be 3 to 6 digits");
            }
            phone = phone(agentRequest.phone());
            if (agents.byExtension(extension).isPresent()) {
                throw ApiProblem.conflict("extension-taken", "Extension taken", "Extension " + extension + " already belongs to an agent");
            }
        }

        Agent agent = null;
        String sipPassword = null;
        if (agentRequest != null) {
            sipPassword = newSipPassword();
            agent = agents.create(extension, displayName, teamId, phone, sipPassword);
        }
        User user = identity.create(username, displayName, role, permissions, teamId, agent == null ? null : agent.id(),
                request.password());
        return Views.UserView.of(user, agent, sipPassword);
    }

    @Transactional
    Views.UserView update(Caller admin, UUID id, UserChanges changes) {
        User user = find(id);
        String displayName = changes.displayName() == null ? user.displayName() : displayName(changes.displayName());
        Role role = changes.role() == null ? user.role() : role(changes.role());
        // A new role without a list of its own gets that role's defaults: a promoted agent should not stay an agent.
        List<String> permissions = changes.permissions() != null ? permissions(changes.permissions())
                : role != user.role() ? role.defaultPermissions() : user.permissions();
        UUID teamId = changes.teamId() == null ? user.teamId() : changes.teamId();
        boolean enabled = changes.enabled() == null ? user.enabled() : changes.enabled();
        requireTeamUnlessAdmin(role, teamId);
        if (role == Role.ADMIN && user.agentId() != null) {
            throw ApiProblem.conflict("has-agent", "User has an agent",
                    "User " + user.username() + " has an agent (phone); an administrator cannot");
        }
        if (changes.password() != null) {
            password(changes.password());
        }
        if (user.id().equals(admin.userId())
                && (!enabled || !Permissions.expand(permissions).contains(Permissions.ADMIN))) {
            throw ApiProblem.conflict("self-lockout", "Would lock you out",
                    "You cannot disable yourself or remove your own " + Permissions.ADMIN + "; ask another administrator");
        }

        User updated = new User(user.id(), user.username(), displayName, role, permissions, teamId, user.agentId(), enabled);
        identity.update(updated);
        if (changes.password() != null) {
            identity.setPassword(user.id(), changes.password());
        }
        if (user.agentId() != null && teamId != null && !teamId.equals(user.teamId())) {
            agents.moveToTeam(user.agentId(), teamId);
        }
        return view(updated, null);
    }

    private User find(UUID id) {
        return identity.byId(id).orElseThrow(() -> ApiProblem.notFound("No user with id " + id));
    }

    private Views.UserView view(User user, String sipPassword) {
        Agent agent = user.agentId() == null ? null : agents.byId(user.agentId()).orElse(null);
        return Views.UserView.of(user, agent, sipPassword);
    }

    private void requireTeamUnlessAdmin(Role role, UUID teamId) {
        if (teamId == null) {
            if (role != Role.ADMIN) {
                throw invalid("teamId is required for role " + role.dbValue() + " (only administrators have no team)");
            }
            return;
        }
        if (routing.team(teamId).isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "unknown-team", "Unknown team", "No team with id " + teamId);
        }
    }

    private static String displayName(String value) {
        String name = required(value, "displayName").strip();
        if (name.length() > MAX_NAME) {
            throw invalid("displayName is longer than " + MAX_NAME + " characters");
        }
        // It becomes the SIP caller ID name (display <extension>): angle brackets and quotes would break that header.
        if (name.chars().anyMatch(c -> c == '<' || c == '>' || c == '"' || Character.isISOControl(c))) {
            throw invalid("displayName must not contain <, >, \" or control characters");
        }
        return name;
    }

    private static Role role(String value) {
        try {
            return Role.fromDb(value.strip());
        } catch (IllegalArgumentException e) {
            throw invalid("role must be agent, manager or admin, not '" + value + "'");
        }
    }

    private static List<String> permissions(List<String> values) {
        List<String> permissions = new ArrayList<>();
        for (String value : values) {
            if (value == null) {
                throw invalid("permissions must not contain null");
            }
            permissions.add(value.strip());
        }
        try {
            Permissions.validate(permissions);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-permission", "Invalid permission", e.getMessage());
        }
        return List.copyOf(new java.util.LinkedHashSet<>(permissions));
    }

    private static void password(String password) {
        if (password == null || password.length() < 12) {
            throw invalid("password needs at least 12 characters");
        }
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 72) {
            // bcrypt ignores everything after 72 bytes: a longer password would only seem stronger.
            throw invalid("password must not be longer than 72 bytes (UTF-8)");
        }
    }

    private static Agent.Phone phone(String value) {
        if (value == null) {
            return Agent.Phone.WEBRTC;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "webrtc" -> Agent.Phone.WEBRTC;
            case "sip" -> Agent.Phone.SIP;
            default -> throw invalid("agent.phone must be 'webrtc' (browser softphone) or 'sip' (desk phone)");
        };
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw invalid(field + " is required");
        }
        return value;
    }

    /** Same strength as the softphone's rotating passwords; the softphone replaces it at the first login anyway. */
    private static String newSipPassword() {
        char[] password = new char[24];
        for (int i = 0; i < password.length; i++) {
            password[i] = SIP_ALPHABET[RANDOM.nextInt(SIP_ALPHABET.length)];
        }
        return new String(password);
    }

    private static ApiProblem invalid(String detail) {
        return ApiProblem.badRequest(detail);
    }
}

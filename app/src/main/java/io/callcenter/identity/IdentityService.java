package io.callcenter.identity;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Users and their passwords. Passwords are stored only as slow salted hashes (bcrypt, in Spring's format). */
@Service
public class IdentityService {

    /** Compared against when the user does not exist, so a wrong user name costs as long as a wrong password. */
    private final String dummyHash;
    private final UserRepository users;
    private final PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    IdentityService(UserRepository users) {
        this.users = users;
        this.dummyHash = passwords.encode("timing-equaliser");
    }

    /** The user if the password is theirs and they are enabled. */
    public Optional<User> authenticate(String username, String password) {
        String name = username == null ? "" : username.strip().toLowerCase(java.util.Locale.ROOT);
        Optional<String> hash = users.passwordHash(name);
        boolean matches = passwords.matches(password == null ? "" : password, hash.orElse(dummyHash));
        if (!matches || hash.isEmpty()) {
            return Optional.empty();
        }
        return users.findByUsername(name).filter(User::enabled);
    }

    @Transactional
    public User create(String username, String displayName, Role role, List<String> permissions, UUID teamId,
                       UUID agentId, String password) {
        validatePassword(password);
        Permissions.validate(permissions);
        User user = new User(UUID.randomUUID(), username.strip().toLowerCase(java.util.Locale.ROOT), displayName, role,
                permissions, teamId, agentId, true);
        users.insert(user, passwords.encode(password));
        return user;
    }

    public void setPassword(UUID userId, String password) {
        validatePassword(password);
        users.updatePassword(userId, passwords.encode(password));
    }

    public void update(User user) {
        Permissions.validate(user.permissions());
        users.update(user);
    }

    public Optional<User> byId(UUID id) {
        return users.findById(id);
    }

    public Optional<User> byUsername(String username) {
        return users.findByUsername(username);
    }

    public List<User> all() {
        return users.findAll();
    }

    public List<User> inTeam(UUID teamId) {
        return users.findByTeam(teamId);
    }

    private static void validatePassword(String password) {
        if (password == null || password.length() < 12) {
            throw new IllegalArgumentException("a password needs at least 12 characters");
        }
    }
}

package io.callcenter.instance;

/** Who holds which role: the port the ARI adapter and the dialer start and stop their work through. */
public interface Roles {

    /**
     * Runs {@code gained} each time this instance takes the role (at once if it holds it now) and {@code lost} each
     * time it gives it up. Both run on the instance's ownership thread, one at a time, never both at once.
     */
    void whenHeld(Role role, Runnable gained, Runnable lost);

    boolean holds(Role role);
}

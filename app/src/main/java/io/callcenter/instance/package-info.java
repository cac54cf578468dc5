/**
 * Several app instances over one PostgreSQL (issue 17): which instance holds which role, decided by PostgreSQL
 * session advisory locks on a connection of its own (not the pool's: a pooled connection handed back would keep
 * its locks).
 *
 * <p>Two roles: {@link io.callcenter.instance.Role#FLOOR} (the Asterisk event streams, hence every live call's state
 * machine, the agents' presence and the queues) and {@link io.callcenter.instance.Role#DIALER} (the campaigns'
 * pacing and the carrier's webhooks applied), sought only by the instance on the floor. Others hold a role through
 * {@link io.callcenter.instance.Roles}: what to start when it is gained and stop when it is lost. An instance that
 * dies loses its session and so its locks at once; a standby retries every second and adopts the calls from the
 * database as a restarted app does.
 *
 * <p>May use: nothing of the application's modules (the ARI adapter and the dialer use this one).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Instances")
package io.callcenter.instance;

/**
 * Inbound queues, run in our Stasis application: callers wait in the queue's holding bridge with music on hold and
 * are offered to free agents longest-waiting first.
 *
 * <p>A room of the call module rather than a module of its own: a waiting caller is a call, on its lane, whose
 * every step (joined, offered, rang out, answered, abandoned, overflowed) must happen in order with that call's
 * Asterisk events, and reach Asterisk as {@link io.callcenter.call.command.CallCommand}s like every other room. A
 * module above {@code call} would need the engine to expose its lanes and legs; a module below could not see calls.
 *
 * <p>Each caller's place is a {@link io.callcenter.call.queue.QueueEntry}, changed only by the pure
 * {@link io.callcenter.call.queue.QueueMachine}; {@link io.callcenter.call.queue.Queues} applies its steps on the
 * call's lane, {@link io.callcenter.call.queue.QueueDispatcher} matches free agents to waiting callers one match at
 * a time, and every step is appended to {@code queue_event}.
 *
 * <p>The board is in memory only: a new app instance rebuilds a waiting caller's entry from the log's JOINED row
 * (queue and join time), so places, max wait and announcements survive an app restart; the holding bridge and its
 * music live on in Asterisk meanwhile. A caller who overflowed into another queue ({@link
 * io.callcenter.call.queue.QueueOverflow}) has two JOINED rows: the last names the queue, the first their place.
 */
package io.callcenter.call.queue;

package io.callcenter.dialer;

/** The do-not-call list as the dialer uses it: the routing module's list behind a narrow port. */
interface DoNotCall {

    boolean contains(String e164);

    /** Lists the number (a number already listed keeps its first reason). */
    void add(String e164, String reason);
}

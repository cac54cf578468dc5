/**
 * Demo data for {@code make up} and the tests: two teams with their numbers and users of every role. Uses the public
 * services of the modules it fills; nothing depends on it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Demo data")
package io.callcenter.demo;

/**
 * Who is calling the API: users, roles and permissions, password login and JWT bearer tokens. Other modules take a
 * {@link io.callcenter.identity.Caller} as a controller parameter and ask it what is allowed.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity")
package io.callcenter.identity;

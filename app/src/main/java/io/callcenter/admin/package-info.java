/**
 * Administration over REST: users (with their agent and phone), teams and their phone numbers, for holders of
 * {@code admin:2}; and the team's agents with their live state, for managers. Only the public services of identity,
 * routing and agent are used, so every rule those modules keep (password hashing, SIP digests, number
 * normalisation) applies here as well.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Administration")
package io.callcenter.admin;

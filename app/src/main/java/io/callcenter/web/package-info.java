/**
 * What every REST controller shares: {@link io.callcenter.web.ApiProblem}, the one way to refuse a request, and
 * its translation to RFC 9457 problem details.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web", type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.callcenter.web;

/**
 * The API's own documentation: the OpenAPI document springdoc generates from the controllers, served at
 * {@code /api/docs/openapi} to signed-in users and read on the console's API page.
 */
@org.springframework.modulith.ApplicationModule(displayName = "API documents")
package io.callcenter.apidocs;

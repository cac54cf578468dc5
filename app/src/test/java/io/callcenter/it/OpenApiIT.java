package io.callcenter.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document the application generates from its controllers: every /api endpoint Spring maps is in it
 * (an endpoint added later without being documented fails here), and it is served to signed-in users only.
 */
class OpenApiIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The document's own addresses describe the API; they are not part of it. */
    private static final Set<String> THE_DOCUMENT_ITSELF = Set.of("GET /api/docs/openapi", "GET /api/docs/openapi.yaml",
            "GET /api/docs/openapi/swagger-config");

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void every_api_endpoint_the_application_maps_is_in_the_document() {
        HttpResponse<String> response = app.request("GET", "/api/docs/openapi", null, app.token("maria"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode doc = JSON.readTree(response.body());
        assertThat(doc.path("openapi").asString()).startsWith("3.");
        assertThat(doc.path("info").path("title").asString()).isEqualTo("Call center API");

        Set<String> documented = new TreeSet<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(op -> documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));
        Set<String> mapped = new TreeSet<>();
        for (RequestMappingHandlerMapping mapping : app.beans(RequestMappingHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                for (String pattern : info.getPatternValues()) {
                    if (pattern.startsWith("/api/")) {
                        for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                            mapped.add(method.name() + " " + pattern);
                        }
                    }
                }
            }
        }
        mapped.removeAll(THE_DOCUMENT_ITSELF);
        Set<String> missing = new TreeSet<>(mapped);
        missing.removeAll(documented);
        assertThat(missing).as("/api endpoints missing from the OpenAPI document").isEmpty();
        assertThat(mapped).as("the mapped endpoints were found at all").hasSizeGreaterThan(40)
                .contains("GET /api/reports/calls.csv", "PUT /api/campaigns/{id}/enabled");
        // The signed-in user comes from the token and is not a parameter anyone could send.
        assertThat(response.body()).doesNotContain("\"caller\"");
    }

    @Test
    void the_document_needs_a_signed_in_user() {
        assertThat(app.request("GET", "/api/docs/openapi", null, null).statusCode()).isEqualTo(401);
        assertThat(app.request("GET", "/api/docs/openapi", null, app.token("alice")).statusCode()).isEqualTo(200);
    }
}

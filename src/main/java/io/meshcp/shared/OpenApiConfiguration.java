package io.meshcp.shared;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at /v3/api-docs, with the secret-key bearer scheme declared for every operation. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String SECRET_KEY = "secretKey";

    @Bean
    OpenAPI meshControlPlaneOpenApi() {
        return new OpenAPI()
                .info(new Info().title("mesh control plane API").version("v1").description(
                        "REST API for broadcasters. Authenticate with a secret key: 'Authorization: Bearer mesh_sk_...'. "
                                + "Errors are RFC 9457 problem details with stable 'type' URIs."))
                .components(new Components().addSecuritySchemes(SECRET_KEY, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("mesh_sk_...")
                        .description("A secret API key created in the dashboard under API keys.")))
                .addSecurityItem(new SecurityRequirement().addList(SECRET_KEY));
    }
}

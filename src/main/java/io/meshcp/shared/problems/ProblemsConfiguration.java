package io.meshcp.shared.problems;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ProblemsConfiguration {

    /** Tomcat's own refusals (bad request line, oversize headers) answer problem+json, not its HTML page. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /** Every field of a request body that does not bind, in one answer ({@link BodyBindingProblems}). */
    @Bean
    JsonMapperBuilderCustomizer collectBodyBindingProblems() {
        return builder -> builder.addHandler(new BodyBindingProblems.Handler());
    }
}

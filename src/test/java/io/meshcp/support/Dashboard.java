package io.meshcp.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** Signs in through the real login form, so tests exercise the same filter chain as a browser. */
public final class Dashboard {

    private Dashboard() {
    }

    public static MockHttpSession login(MockMvc mvc, String email, String password) throws Exception {
        MvcResult result = attempt(mvc, email, password, "192.0.2.10");
        assertThat(result.getResponse().getRedirectedUrl()).as("login of " + email).doesNotContain("/login");
        return (MockHttpSession) result.getRequest().getSession(false);
    }

    public static MvcResult attempt(MockMvc mvc, String email, String password, String remoteAddress)
            throws Exception {
        return mvc.perform(post("/login").param("email", email).param("password", password).with(csrf())
                .with(request -> {
                    request.setRemoteAddr(remoteAddress);
                    return request;
                })).andReturn();
    }
}

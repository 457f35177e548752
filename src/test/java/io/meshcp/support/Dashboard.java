package io.meshcp.support;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.UUID;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
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

    /**
     * Signs a new organisation up in the browser, as a new customer does; sign-up signs its owner in and lands on the
     * integration page.
     */
    public static void signUp(Page page, String baseUrl, String organisation, String name, String email) {
        page.navigate(baseUrl + "/signup");
        page.getByLabel("Organisation").fill(organisation);
        page.getByLabel("Your name").fill(name);
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(Fixtures.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create organisation")).click();
        assertThat(page).hasURL(baseUrl + "/integration");
    }

    /** The organisation of the member who signed up with {@code email} (as {@link #signUp} does). */
    public static UUID tenantOf(String email) {
        return TestDatabase.owner().queryForObject("select m.tenant_id from memberships m join users u "
                + "on u.id = m.user_id where u.email = ?", UUID.class, email);
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

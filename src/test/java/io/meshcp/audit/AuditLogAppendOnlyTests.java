package io.meshcp.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/** Through the application's own connection, as a bug or a smuggled statement would try it. */
@IntegrationTest
class AuditLogAppendOnlyTests {

    @Autowired
    Fixtures fixtures;

    JdbcTemplate jdbc = TestDatabase.owner();

    @Test
    void noStatementCanRewriteOrRemoveWhatTheAuditLogHolds() {
        Fixtures.Tenant tenant = fixtures.tenant();
        Map<String, Object> before = jdbc.queryForMap("select * from audit_events where tenant_id = ? "
                + "and type = 'TENANT_SIGNED_UP'", tenant.id());

        assertThatThrownBy(() -> jdbc.update("update audit_events set actor = 'someone else' where tenant_id = ?",
                tenant.id())).isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("delete from audit_events where tenant_id = ?", tenant.id()))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.execute("truncate audit_events")).isInstanceOf(DataAccessException.class)
                .rootCause().hasMessageContaining("append-only");

        assertThat(jdbc.queryForMap("select * from audit_events where id = ?", before.get("id"))).isEqualTo(before);
    }
}

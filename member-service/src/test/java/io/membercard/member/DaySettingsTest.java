package io.membercard.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.membercard.common.days.DaySettings;
import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Concurrently;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Issue 12, item 7: the tenant's day-close options, kept with its other settings and sent to the services using them. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServices.class)
class DaySettingsTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private final Pool pool;

    DaySettingsTest(Pool pool) {
        this.pool = pool;
    }

    private long events(long tenant) {
        return pool.preparedQuery("select count(*) from outbox_event where tenant_id = $1 and type = 'tenant.dayclose'")
                .execute(Tuple.of(tenant)).await().indefinitely().iterator().next().getLong(0);
    }

    /** The business day that holds now with days from midnight in Shanghai (the platform's default). */
    private static LocalDate today() {
        return LocalDate.now(SHANGHAI);
    }

    @Test
    void aTenantWithoutSettingsHasThePlatformsAndCashiersMayReadThem() {
        Members t = new Members();
        t.get(t.cashier, "/api/member/setting/getdayclose").statusCode(200)
                .body("today", equalTo(today().toString())).body("cutOff", equalTo("00:00"))
                .body("zone", equalTo("Asia/Shanghai")).body("cutOffs", hasSize(1))
                .body("cutOffs[0].from", nullValue()).body("autoClose", equalTo(false))
                .body("graceMinutes", equalTo(60)).body("unclosedDay", equalTo("none"));
    }

    /**
    * A new cut-off applies from the day after tomorrow: today and tomorrow keep the cut-off they begin with
    * (tomorrow runs until the new start), so no moment of a day that may be closed changes day. The save is sent on
    * as one event.
    */
    @Test
    void aNewCutOffAppliesFromTheNextBusinessDayAndIsSentOn() {
        Members t = new Members();
        t.post(t.manager, "/api/member/setting/savedayclose",
                "{\"cutOff\":\"04:00\",\"autoClose\":true,\"graceMinutes\":30,\"unclosedDay\":\"block\"}")
                .statusCode(200).body("status", equalTo(200)).body("data.cutOff", equalTo("00:00"))
                .body("data.cutOffs", hasSize(2)).body("data.cutOffs[1].from", equalTo(today().plusDays(2).toString()))
                .body("data.cutOffs[1].cutOff", equalTo("04:00")).body("data.autoClose", equalTo(true))
                .body("data.graceMinutes", equalTo(30)).body("data.unclosedDay", equalTo("block"));
        assertThat(events(t.tenant)).isEqualTo(1);
        // Saving again the same day replaces the change to come; a field left out keeps its value.
        t.post(t.manager, "/api/member/setting/savedayclose", "{\"cutOff\":\"05:30\"}").statusCode(200)
                .body("data.cutOffs", hasSize(2)).body("data.cutOffs[1].cutOff", equalTo("05:30"))
                .body("data.unclosedDay", equalTo("block")).body("data.graceMinutes", equalTo(30));
        // Back to the cut-off today runs by: no change to come.
        t.post(t.manager, "/api/member/setting/savedayclose", "{\"cutOff\":\"00:00\"}").statusCode(200)
                .body("data.cutOffs", hasSize(1));
        t.get(t.cashier, "/api/member/setting/getdayclose").statusCode(200).body("cutOffs", hasSize(1))
                .body("autoClose", equalTo(true));
        assertThat(events(t.tenant)).isEqualTo(3);
    }

    @Test
    void badValuesAreRefusedNamingTheFieldAndChangeNothing() {
        Members t = new Members();
        for (String[] bad : List.of(new String[]{"{\"cutOff\":\"24:00\"}", "cutOff"},
                new String[]{"{\"cutOff\":\"4:00\"}", "cutOff"}, new String[]{"{\"zone\":\"Mars/Olympus\"}", "zone"},
                new String[]{"{\"zone\":\"+08:00\"}", "zone"}, new String[]{"{\"graceMinutes\":-1}", "graceMinutes"},
                new String[]{"{\"graceMinutes\":1441}", "graceMinutes"},
                new String[]{"{\"unclosedDay\":\"sometimes\"}", "unclosedDay"})) {
            t.post(t.manager, "/api/member/setting/savedayclose", bad[0]).statusCode(400)
                    .body("message", org.hamcrest.Matchers.containsString(bad[1]));
        }
        assertThat(events(t.tenant)).isZero();
        t.get(t.manager, "/api/member/setting/getdayclose").statusCode(200).body("cutOffs", hasSize(1))
                .body("unclosedDay", equalTo("none"));
    }

    @Test
    void onlyManagersSaveAndEachTenantHasItsOwn() {
        Members t = new Members();
        Members other = new Members();
        t.post(t.cashier, "/api/member/setting/savedayclose", "{\"unclosedDay\":\"warn\"}").statusCode(403);
        t.post(t.manager, "/api/member/setting/savedayclose", "{\"unclosedDay\":\"warn\"}").statusCode(200);
        other.get(other.manager, "/api/member/setting/getdayclose").statusCode(200)
                .body("unclosedDay", equalTo("none"));
        assertThat(events(other.tenant)).isZero();
    }

    /** Managers saving at once take turns: every save is kept and sent, the last one wins. */
    @Test
    void concurrentSavesEachCount() throws Exception {
        Members t = new Members();
        List<Integer> codes = Concurrently.run(8, n -> t.post(t.manager, "/api/member/setting/savedayclose",
                "{\"graceMinutes\":" + (n + 1) + "}").extract().statusCode());
        assertThat(codes).containsOnly(200);
        assertThat(events(t.tenant)).isEqualTo(8);
    }

    /** Days begin in order across a change; every instant belongs to exactly one day. */
    @Test
    void businessDaysAcrossAChangeNeitherOverlapNorLeaveGaps() {
        DaySettings base = DaySettings.defaults(LocalTime.MIDNIGHT, SHANGHAI);
        Instant now = LocalDate.of(2026, 12, 2).atTime(23, 0).atZone(SHANGHAI).toInstant();
        DaySettings later = new DaySettings(base.changedCutOffs(LocalTime.of(4, 0), SHANGHAI, now), false, null, 60,
                DaySettings.UnclosedDay.NONE, now);
        assertThat(later.cutOffs().get(1).from()).isEqualTo(LocalDate.of(2026, 12, 4));
        // The 3rd runs until the 4th begins: 04:00 on the 4th (28 hours).
        assertThat(later.day(LocalDate.of(2026, 12, 3)).end())
                .isEqualTo(LocalDate.of(2026, 12, 4).atTime(4, 0).atZone(SHANGHAI).toInstant());
        assertThat(later.holding(LocalDate.of(2026, 12, 4).atTime(2, 0).atZone(SHANGHAI).toInstant()))
                .isEqualTo(LocalDate.of(2026, 12, 3));
        assertThat(later.holding(LocalDate.of(2026, 12, 5).atTime(3, 59).atZone(SHANGHAI).toInstant()))
                .isEqualTo(LocalDate.of(2026, 12, 4));
        for (int d = 0; d < 5; d++) {
            LocalDate date = LocalDate.of(2026, 12, 1).plusDays(d);
            assertThat(later.day(date).end()).isEqualTo(later.day(date.plusDays(1)).start());
            assertThat(later.holding(later.day(date).start())).isEqualTo(date);
            assertThat(later.holding(later.day(date).end().minusSeconds(1))).isEqualTo(date);
        }
        // Back to midnight, decided at 02:00 on the 5th (still the 4th's business day): from the 6th, the 5th
        // running 20 hours.
        Instant lateNight = LocalDate.of(2026, 12, 5).atTime(2, 0).atZone(SHANGHAI).toInstant();
        List<DaySettings.CutOff> back = later.changedCutOffs(LocalTime.MIDNIGHT, SHANGHAI, lateNight);
        assertThat(back.get(back.size() - 1).from()).isEqualTo(LocalDate.of(2026, 12, 6));
        // A zone a day ahead would make the changed day begin before the day before it: refused.
        DaySettings farWest = DaySettings.defaults(LocalTime.MIDNIGHT, ZoneId.of("Etc/GMT+12"));
        Instant west = LocalDate.of(2026, 12, 2).atTime(1, 0).atZone(ZoneId.of("Etc/GMT+12")).toInstant();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> farWest.changedCutOffs(LocalTime.MIDNIGHT,
                ZoneId.of("Pacific/Kiritimati"), west)).isInstanceOf(IllegalArgumentException.class);
    }
}

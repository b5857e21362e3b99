package io.membercard.system;

import static io.membercard.system.Platform.as;
import static io.membercard.system.Platform.newTenant;
import static io.membercard.system.Platform.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

/** Seed 000 end to end through the gateway: order cards, read, list, write every card, see the order finished. */
class CardOrderFlowTest {

    @Test
    void aShopOrdersWritesAndReadsBackABatchOfCards() {
        long tenant = newTenant();
        String manager = token(tenant, null, "manager");
        String cashier = token(tenant, 8L, "cashier");

        long cardClass = as(manager).contentType(ContentType.JSON)
                .body("{\"name\":\"Gold\",\"cardType\":1,\"canRecharge\":true}")
                .post("/api/member/membercardclass/save")
                .then().statusCode(200).body("status", equalTo(200)).extract().jsonPath().getLong("data");

        long order = as(manager).contentType(ContentType.JSON).queryParam("shopid", 8)
                .body("{\"shopId\":8,\"shopName\":\"West Lake\",\"code\":\"PO-" + tenant + "\",\"memberCardClassId\":"
                        + cardClass + ",\"startCode\":\"G00001\",\"expectCount\":4}")
                .post("/api/member/membercard/batchcreate")
                .then().statusCode(200).body("status", equalTo(200)).extract().jsonPath().getLong("data");

        List<Integer> details = as(cashier).queryParam("id", order).get("/api/member/membercard/getcreateorder")
                .then().statusCode(200)
                .body("code", equalTo("PO-" + tenant)).body("shopName", equalTo("West Lake"))
                .body("startCode", equalTo("G00001")).body("endCode", equalTo("G00004"))
                .body("currentCode", equalTo("G00001")).body("createCount", equalTo(4))
                .body("isFinished", equalTo(false))
                .body("details.cardCode", contains("G00001", "G00002", "G00003", "G00004"))
                .extract().jsonPath().getList("details.id");

        as(cashier).get("/api/member/membercard/getcreateorderlist").then().statusCode(200)
                .body("totalCount", equalTo(1)).body("data[0].id", equalTo((int) order))
                .body("sumData.createCount", equalTo(4)).body("sumData.writeCount", equalTo(0));

        for (int i = 0; i < details.size(); i++) {
            as(cashier).contentType(ContentType.JSON)
                    .body("{\"orderId\":" + order + ",\"id\":" + details.get(i) + ",\"cardCode\":\"G0000" + (i + 1)
                            + "\",\"mac\":\"" + Platform.mac("chip-" + tenant + "-" + i) + "\"}")
                    .post("/api/member/membercard/writecard")
                    .then().statusCode(200).body("status", equalTo(200)).body("data", equalTo("G0000" + (i + 1)));
        }

        as(cashier).queryParam("id", order).get("/api/member/membercard/getcreateorder").then()
                .body("writeCount", equalTo(4)).body("isFinished", equalTo(true)).body("currentCode", nullValue())
                .body("details.isFinished", contains(true, true, true, true));
        as(cashier).queryParam("isFinished", 1).get("/api/member/membercard/getcreateorderlist").then()
                .body("data", hasSize(1)).body("sumData.writeCount", equalTo(4));

        as(cashier).queryParam("cardCode", "G00002").queryParam("mac", "chip-" + tenant + "-1")
                .get("/api/member/membercard/get").then().statusCode(200)
                .body("code", equalTo("G00002")).body("status", equalTo(2)).body("mac", equalTo(""))
                .body("memberCardClassName", equalTo("Gold")).body("balance", equalTo(0.0f));

        String logs = Platform.allLogs();
        assertThat(logs).contains("/api/member/membercard/get?cardCode=G00002&mac=***");
        for (int i = 0; i < details.size(); i++) {
            assertThat(logs).doesNotContain("chip-" + tenant + "-" + i);
        }
    }

    @Test
    void anotherTenantSeesNothingThroughTheGateway() {
        long a = newTenant();
        String managerA = token(a, null, "manager");
        long cardClass = as(managerA).contentType(ContentType.JSON).body("{\"name\":\"Gold\",\"cardType\":1}")
                .post("/api/member/membercardclass/save").then().extract().jsonPath().getLong("data");
        long order = as(managerA).contentType(ContentType.JSON).queryParam("shopid", 1)
                .body("{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"Z1\",\"expectCount\":1}")
                .post("/api/member/membercard/batchcreate").then().extract().jsonPath().getLong("data");

        String managerB = token(newTenant(), null, "manager");
        as(managerB).queryParam("id", order).get("/api/member/membercard/getcreateorder").then()
                .statusCode(404).body("status", equalTo(404));
        as(managerB).get("/api/member/membercard/getcreateorderlist").then().body("totalCount", equalTo(0));
        as(managerB).get("/api/member/membercardclass/getlist").then().body("$", hasSize(0));
    }
}

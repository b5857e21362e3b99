package io.membercard.payment.recharge;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import io.membercard.payment.online.OnlineRefunds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * WeChat Pay's refund notifications ({@code notify_url} of each refund): no bearer token, the notification's
 * signature and encryption prove it is WeChat Pay's. A notification settles the pending refund it names; WeChat Pay
 * sends it again until it gets a 2xx, and a repeat changes nothing.
 */
@Path("/api/member/recharge/refundnotify")
public class RefundNotifyResource {
    private static final Logger LOG = Logger.getLogger(RefundNotifyResource.class);

    private final Pool pool;
    private final OnlineRefunds channels;
    private final OnlineRefundRepository refunds;
    private final OnlineRefundSettlement settlement;

    public RefundNotifyResource(Pool pool, OnlineRefunds channels, OnlineRefundRepository refunds,
            OnlineRefundSettlement settlement) {
        this.pool = pool;
        this.channels = channels;
        this.refunds = refunds;
        this.settlement = settlement;
    }

    @POST
    @Path("/wechatpay")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermitAll
    @Operation(summary = "WeChat Pay's refund notification (signed by WeChat Pay; no token)", description = "Settles "
            + "the pending online refund it names: REFUND.SUCCESS paid back, REFUND.CLOSED or REFUND.ABNORMAL not "
            + "paid back (the money goes back onto the card). 204 once recorded; 401 when not WeChat Pay's.")
    public Uni<Void> wechatPay(String body, @HeaderParam("Wechatpay-Timestamp") String timestamp,
            @HeaderParam("Wechatpay-Nonce") String nonce, @HeaderParam("Wechatpay-Signature") String signature) {
        OnlineRefunds.Notified notified = channels.readWeChatNotification(body == null ? "" : body, timestamp, nonce,
                signature);
        return refunds.findByRefundNo(pool, notified.refundNo()).flatMap(refund -> {
            if (refund == null) {
                LOG.warnf("WeChat Pay notified refund %s, which is not ours", notified.refundNo());
                return Uni.createFrom().voidItem();
            }
            if (refund.state() != OnlineRefundRecord.State.PENDING || !notified.answer().isFinal()) {
                return Uni.createFrom().voidItem();
            }
            return settlement.apply(refund, notified.answer());
        });
    }
}

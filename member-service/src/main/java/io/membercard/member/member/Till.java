package io.membercard.member.member;

import io.membercard.common.api.ApiException;
import io.membercard.common.security.Caller;

/**
 * A cashier at a till, as its token names it: the tenant, the shop and the user. Cashiers find the member in front
 * of them by a whole key and see personal numbers masked; managers and admins are no till ({@link #of} is null).
 */
public record Till(long tenantId, long shopId, String userId) {

    /**
     * The caller as a till, or null when it is a manager or an admin. Any other caller the member endpoints let in
     * is a cashier (a platform admin's role does not reach them, and does not lift a cashier's limits).
     */
    public static Till of(Caller caller) {
        if (caller.isManager()) {
            return null;
        }
        Long shop = caller.shopId();
        if (shop == null) {
            throw ApiException.forbidden("a cashier's token must carry shop_id");
        }
        return new Till(caller.tenantId(), shop, caller.userId());
    }
}

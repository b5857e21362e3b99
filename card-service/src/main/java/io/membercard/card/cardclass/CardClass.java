package io.membercard.card.cardclass;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A card class (会员卡类别): what cards of this class may do, and how they earn and spend points. */
@Entity
@Table(name = "card_class")
public class CardClass {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    public long tenantId;

    @Column(nullable = false)
    public String name;

    @Column(name = "card_type", nullable = false)
    public short cardType;

    @Column(name = "can_recharge")
    public boolean canRecharge;

    @Column(name = "can_member_price")
    public boolean canMemberPrice;

    @Column(name = "can_discount")
    public boolean canDiscount;

    @Column(name = "can_point")
    public boolean canPoint;

    /** Yuan spent per point earned. */
    @Column(name = "points_basic")
    public int pointsBasic;

    /** Points worth one yuan. */
    @Column(name = "points_to_one")
    public int pointsToOne;

    /** Days a point stays valid; 0 means points never expire. */
    @Column(name = "points_valid_days")
    public int pointsValidDays;

    /** Hidden from lists and refused for new cards; existing cards keep it. */
    public boolean disabled;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}

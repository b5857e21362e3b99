package io.membercard.member.gift;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A gift (礼品) members can take for points. */
@Entity
@Table(name = "gift")
public class Gift {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    public long tenantId;

    @Column(nullable = false)
    public String name;

    /** Points it costs. */
    public long points;

    /** Reference price (参考价格). */
    public BigDecimal price;

    @Column(name = "image_path")
    public String imagePath;

    /** Offered now; a gift out of use cannot be taken. */
    @Column(name = "in_use")
    public boolean inUse;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}

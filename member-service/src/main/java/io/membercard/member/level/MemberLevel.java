package io.membercard.member.level;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A member level (会员等级) with its discount. */
@Entity
@Table(name = "member_level")
public class MemberLevel {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    public long tenantId;

    @Column(nullable = false)
    public String name;

    /** The level's rank (等级): higher is better. */
    public int level;

    /** 折扣 as tills show it: 9.5 means 95 %, 10 none. */
    public BigDecimal discount;

    @Column(name = "image_path")
    public String imagePath;

    /** Offered for new members and changes; members keep a level taken out of use. */
    @Column(name = "in_use")
    public boolean inUse;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}

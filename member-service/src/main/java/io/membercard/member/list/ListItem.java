package io.membercard.member.list;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

/**
 * What every configuration list's entry has (gifts, levels, tags): the tenant, a name, whether it is offered, and
 * when it was made and changed. An entry taken out of use stays for the members and history that have it.
 */
@MappedSuperclass
public abstract class ListItem {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    public long tenantId;

    @Column(nullable = false)
    public String name;

    /** Offered now; an entry out of use cannot be given or taken any more. */
    @Column(name = "in_use")
    public boolean inUse;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}

package io.membercard.member.gift;

import java.math.BigDecimal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.membercard.member.list.ListItem;

/** A gift (礼品) members can take for points. */
@Entity
@Table(name = "gift")
public class Gift extends ListItem {
    /** Points it costs. */
    public long points;

    /** Reference price (参考价格). */
    public BigDecimal price;

    @Column(name = "image_path")
    public String imagePath;
}

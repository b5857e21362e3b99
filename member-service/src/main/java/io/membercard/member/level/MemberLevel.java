package io.membercard.member.level;

import java.math.BigDecimal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.membercard.member.list.ListItem;

/** A member level (会员等级) with its discount. */
@Entity
@Table(name = "member_level")
public class MemberLevel extends ListItem {
    /** The level's rank (等级): higher is better. */
    public int level;

    /** 折扣 as tills show it: 9.5 means 95 %, 10 none. */
    public BigDecimal discount;

    @Column(name = "image_path")
    public String imagePath;
}

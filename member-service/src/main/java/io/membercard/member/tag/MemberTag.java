package io.membercard.member.tag;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.membercard.member.list.ListItem;

/** A tag (会员标签) managers put on members. */
@Entity
@Table(name = "member_tag")
public class MemberTag extends ListItem {
}

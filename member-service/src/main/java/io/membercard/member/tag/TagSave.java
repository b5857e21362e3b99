package io.membercard.member.tag;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Creates ({@code id} absent or 0) or updates a tag. */
public record TagSave(@Min(0) Long id, @NotBlank @Size(max = 32) String name, Boolean inUse) {
}

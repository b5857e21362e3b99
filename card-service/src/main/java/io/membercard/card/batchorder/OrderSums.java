package io.membercard.card.batchorder;

/** {@code sumData} of an order list: the counts summed over every order that matches the filter. */
public record OrderSums(long expectCount, long createCount, long writeCount) {
}

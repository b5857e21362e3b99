package io.membercard.common.paging;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A page as the seeds show it: the rows, the page asked for, the size of the whole filtered set, and
 * {@code sumData}, the sums of the numeric fields over the whole filtered set (not only this page).
 */
@JsonPropertyOrder({"data", "pageIndex", "pageSize", "totalCount", "sumData"})
public record Page<T, S>(List<T> data, int pageIndex, int pageSize, long totalCount, S sumData) {

    public static <T, S> Page<T, S> of(PageQuery query, List<T> data, long totalCount, S sumData) {
        return new Page<>(data, query.pageIndex(), query.pageSize(), totalCount, sumData);
    }
}

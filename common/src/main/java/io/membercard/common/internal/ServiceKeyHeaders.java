package io.membercard.common.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

import io.membercard.common.config.CommonConfig;

/** Adds the service key to calls to another service's {@code /internal/service/} endpoints. */
@ApplicationScoped
public class ServiceKeyHeaders implements ClientHeadersFactory {
    private final CommonConfig config;

    public ServiceKeyHeaders(CommonConfig config) {
        this.config = config;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>(outgoing);
        headers.putSingle(ServiceKeyFilter.HEADER, config.serviceKey());
        return headers;
    }
}

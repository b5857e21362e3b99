package io.membercard.payment.settings;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.config.CommonConfig;
import io.membercard.common.days.DaySettingsStore;

/** The tenants' day-close settings (cut-offs, what an unclosed day means), kept from member-service's events. */
@Singleton
public class TenantDaySettings extends DaySettingsStore {
    public TenantDaySettings(CommonConfig config, ObjectMapper mapper) {
        super(config.dayCutOff(), config.timeZone(), mapper);
    }
}

package io.membercard.member.setting;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.config.CommonConfig;
import io.membercard.common.days.DaySettingsStore;

/** The tenants' day-close settings as member-service keeps them (it decides them; see DaySettingService). */
@Singleton
public class TenantDaySettings extends DaySettingsStore {
    public TenantDaySettings(CommonConfig config, ObjectMapper mapper) {
        super(config.dayCutOff(), config.timeZone(), mapper);
    }
}

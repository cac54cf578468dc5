package io.callcenter.dialer;

import io.callcenter.db.tables.records.CampaignRecord;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.callcenter.db.Tables.CAMPAIGN;
import static io.callcenter.db.Tables.CAMPAIGN_STATE_EVENT;

@Repository
class CampaignRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    record SwitchChange(String switchName, boolean value, String reason, UUID changedBy, Instant at) {
    }

    private final DSLContext db;

    CampaignRepository(DSLContext db) {
        this.db = db;
    }

    void insert(Campaign c) {
        CampaignRecord row = db.newRecord(CAMPAIGN);
        fill(row, c);
        row.setId(c.id());
        row.setTeamId(c.teamId());
        row.setEnabled(c.enabled());
        row.setEnabledReason(c.enabledReason());
        row.setPaused(c.paused());
        row.setPausedReason(c.pausedReason());
        row.setCreatedAt(utc(c.createdAt()));
        row.insert();
    }

    void updateSettings(Campaign c) {
        CampaignRecord row = db.fetchSingle(CAMPAIGN, CAMPAIGN.ID.eq(c.id()));
        fill(row, c);
        row.update();
    }

    private static void fill(CampaignRecord row, Campaign c) {
        row.setName(c.name());
        row.setCallerIdNumber(c.callerIdNumber());
        row.setDialMode(c.dialMode().code());
        row.setAdaptiveRatio(BigDecimal.valueOf(c.adaptiveRatio()).setScale(2, RoundingMode.HALF_UP));
        row.setTargetAbandonRate(BigDecimal.valueOf(c.targetAbandonRate()).setScale(4, RoundingMode.HALF_UP));
        row.setCallingStart(c.callingHours().start());
        row.setCallingEnd(c.callingHours().end());
        row.setMaxAttempts(c.retry().maxAttempts());
        row.setMinRetryGapSeconds((int) c.retry().minGap().toSeconds());
        ObjectNode retry = JSON.createObjectNode();
        c.retry().retryAfter().forEach((outcome, wait) -> retry.put(outcome.name(), wait.toSeconds()));
        row.setRetryAfter(JSONB.valueOf(JSON.writeValueAsString(retry)));
        ObjectNode caps = JSON.createObjectNode();
        c.retry().maxAttemptsAfter().forEach((outcome, max) -> caps.put(outcome.name(), max));
        row.setRetryMaxAttempts(JSONB.valueOf(JSON.writeValueAsString(caps)));
        row.setVoicemailPolicy(c.voicemailPolicy().dbValue());
        row.setVoicemailMessage(c.voicemailMessage());
        row.setAmdMode(c.amdMode());
        row.setSafeHarborMessage(c.safeHarborMessage());
        row.setAmdErrorRate(BigDecimal.valueOf(c.compliance().amdErrorRate()).setScale(4, RoundingMode.HALF_UP));
        Campaign.SafeHarbor safeHarbor = c.compliance().safeHarbor();
        row.setSellerName(safeHarbor.sellerName());
        row.setCallbackNumber(safeHarbor.callbackNumber());
        row.setOptOutDigit(safeHarbor.optOutDigit());
    }

    Optional<Campaign> find(UUID id) {
        return db.selectFrom(CAMPAIGN).where(CAMPAIGN.ID.eq(id)).fetchOptional(CampaignRepository::toCampaign);
    }

    List<Campaign> findAll() {
        return db.selectFrom(CAMPAIGN).orderBy(CAMPAIGN.CREATED_AT, CAMPAIGN.ID).fetch(CampaignRepository::toCampaign);
    }

    List<Campaign> findByTeam(UUID teamId) {
        return db.selectFrom(CAMPAIGN).where(CAMPAIGN.TEAM_ID.eq(teamId)).orderBy(CAMPAIGN.CREATED_AT, CAMPAIGN.ID)
                .fetch(CampaignRepository::toCampaign);
    }

    /** Changes a switch and logs it; false (and nothing logged) when it already had that value. */
    boolean setSwitch(UUID id, String switchName, boolean value, String reason, UUID changedBy, Instant at) {
        var flag = "enabled".equals(switchName) ? CAMPAIGN.ENABLED : CAMPAIGN.PAUSED;
        var why = "enabled".equals(switchName) ? CAMPAIGN.ENABLED_REASON : CAMPAIGN.PAUSED_REASON;
        int changed = db.update(CAMPAIGN).set(flag, value).set(why, reason)
                .where(CAMPAIGN.ID.eq(id)).and(flag.ne(value)).execute();
        if (changed == 0) {
            return false;
        }
        if ("enabled".equals(switchName) && value) {
            db.update(CAMPAIGN).set(CAMPAIGN.STARTED_AT, utc(at)).where(CAMPAIGN.ID.eq(id)).and(CAMPAIGN.STARTED_AT.isNull())
                    .execute();
        }
        db.insertInto(CAMPAIGN_STATE_EVENT)
                .set(CAMPAIGN_STATE_EVENT.CAMPAIGN_ID, id)
                .set(CAMPAIGN_STATE_EVENT.SWITCH, switchName)
                .set(CAMPAIGN_STATE_EVENT.VALUE, value)
                .set(CAMPAIGN_STATE_EVENT.REASON, reason)
                .set(CAMPAIGN_STATE_EVENT.CHANGED_BY, changedBy)
                .set(CAMPAIGN_STATE_EVENT.OCCURRED_AT, utc(at))
                .execute();
        return true;
    }

    void setSafeHarborAudio(UUID id, Instant at) {
        db.update(CAMPAIGN).set(CAMPAIGN.SAFE_HARBOR_AUDIO_AT, utc(at)).where(CAMPAIGN.ID.eq(id)).execute();
    }

    /** The ratio the controller set and why it runs below the mode's (null: it does not). */
    void setPacing(UUID id, double ratio, String note) {
        db.update(CAMPAIGN).set(CAMPAIGN.ADAPTIVE_RATIO, BigDecimal.valueOf(ratio).setScale(2, RoundingMode.HALF_UP))
                .set(CAMPAIGN.PACING_NOTE, note)
                .where(CAMPAIGN.ID.eq(id)).execute();
    }

    List<SwitchChange> changes(UUID id) {
        return db.selectFrom(CAMPAIGN_STATE_EVENT).where(CAMPAIGN_STATE_EVENT.CAMPAIGN_ID.eq(id))
                .orderBy(CAMPAIGN_STATE_EVENT.ID)
                .fetch(r -> new SwitchChange(r.getSwitch(), r.getValue(), r.getReason(), r.getChangedBy(),
                        r.getOccurredAt().toInstant()));
    }

    private static Campaign toCampaign(CampaignRecord r) {
        Map<Outcome, Duration> retryAfter = new EnumMap<>(Outcome.class);
        JsonNode retry = JSON.readTree(r.getRetryAfter().data());
        for (var entry : retry.properties()) {
            retryAfter.put(Outcome.valueOf(entry.getKey()), Duration.ofSeconds(entry.getValue().asLong()));
        }
        Map<Outcome, Integer> caps = new EnumMap<>(Outcome.class);
        for (var entry : JSON.readTree(r.getRetryMaxAttempts().data()).properties()) {
            caps.put(Outcome.valueOf(entry.getKey()), entry.getValue().asInt());
        }
        return new Campaign(r.getId(), r.getName(), r.getTeamId(), r.getCallerIdNumber(), DialMode.fromCode(r.getDialMode()),
                r.getAdaptiveRatio().doubleValue(), r.getTargetAbandonRate().doubleValue(),
                new CallingHours(r.getCallingStart(), r.getCallingEnd()),
                new RetryRules(r.getMaxAttempts(), Duration.ofSeconds(r.getMinRetryGapSeconds()), retryAfter, caps),
                Campaign.VoicemailPolicy.fromDb(r.getVoicemailPolicy()), r.getVoicemailMessage(), r.getAmdMode(),
                r.getSafeHarborMessage(), r.getEnabled(), r.getEnabledReason(), r.getPaused(), r.getPausedReason(),
                r.getCreatedAt().toInstant(), new Campaign.Compliance(r.getStartedAt() == null ? null : r.getStartedAt().toInstant(),
                r.getAmdErrorRate().doubleValue(), r.getPacingNote(), new Campaign.SafeHarbor(r.getSellerName(),
                r.getCallbackNumber(), r.getOptOutDigit(), r.getSafeHarborAudioAt() == null ? null
                : r.getSafeHarborAudioAt().toInstant())));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}

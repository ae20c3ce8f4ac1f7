-- 0028: a campaign's number of reporting units, kept (#17, scenario 4).
--
-- Every read of a campaign counted its reports below the requesting unit's
-- (campaigns.campaignColumns): 1.7 ms of PostgreSQL's time over the 3,355 reports of
-- a national campaign, at every action on one of its reports. The tree is built
-- once, when the campaign is created (campaigns.CreateCampaignTx), so the number is
-- written then and read with the campaign.
ALTER TABLE review_campaigns ADD COLUMN units integer NOT NULL DEFAULT 0;

UPDATE review_campaigns c SET units = (SELECT count(*) FROM review_reports r WHERE r.campaign_id = c.id AND r.depth > 0);

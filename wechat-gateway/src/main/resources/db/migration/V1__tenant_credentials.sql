-- wechat-gateway schema. A tenant's provider credentials (issue 13, item 1): its WeChat official account (appid,
-- AppSecret, the server token and EncodingAESKey its event pushes are signed and encrypted with) and its Alipay
-- application (app id, the application's private key, Alipay's public key). Every secret is sealed (common's
-- Keyring: AES-256-GCM under membercard.wechat.credential-keys, bound to the tenant and the field), never returned
-- and never logged; Alipay's public key is sealed too, so that nobody who can write this table can make forged
-- answers pass for Alipay's.
create table tenant_credential (
    tenant_id          bigint      primary key,
    wechat_app_id      varchar(32),
    wechat_app_secret  text,
    wechat_token       text,
    wechat_aes_key     text,
    alipay_app_id      varchar(32),
    alipay_private_key text,
    alipay_public_key  text,
    updated_at         timestamptz not null default now(),
    updated_by         varchar(64) not null
);

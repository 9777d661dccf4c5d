// Included by the `pass` tests: the generated constants of an endpoint agree with what the
// runtime resolves from the generated description, and every way to reach the endpoint
// (accessor, enum, by name) gives the same one.
macro_rules! assert_endpoint_agrees {
    ($client:expr, $module:ident) => {{
        let handle = $client.$module();
        assert_eq!(handle.name(), api::$module::NAME);
        assert_eq!(handle.url(), api::$module::URL);
        assert_eq!(handle.region(), api::$module::REGION);
        assert_eq!(handle.service(), api::$module::SERVICE);
        assert_eq!(handle.auth_mode(), api::$module::AUTH_MODE);
        let variant: api::Endpoint = api::$module::NAME.parse().unwrap();
        assert_eq!(variant.to_string(), api::$module::NAME);
        assert_eq!($client.endpoint(variant).name(), api::$module::NAME);
        let by_name = $client.endpoint_by_name(api::$module::NAME).unwrap();
        assert_eq!(by_name.url(), api::$module::URL);
    }};
}

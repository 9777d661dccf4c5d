/* eslint-disable */
// A Gen 1 `src/aws-exports.js`, as the Amplify CLI writes it (hand-written here).

const awsmobile = {
    "aws_project_region": "us-west-2",
    "aws_cognito_identity_pool_id": "us-west-2:9f8e7d6c-1111-2222-3333-444455556666",
    "aws_cognito_region": "us-west-2",
    "aws_user_pools_id": "us-west-2_QwErTyUiO",
    "aws_user_pools_web_client_id": "2a3b4c5d6e7f8g9h0i1j",
    "aws_cloud_logic_custom": [
        {
            "name": "notesApi",
            "endpoint": "https://nts111aaa2.execute-api.us-west-2.amazonaws.com/staging",
            "region": "us-west-2"
        }
    ]
};

export default awsmobile;

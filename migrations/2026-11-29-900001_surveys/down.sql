DROP TABLE survey_answers;
DROP TABLE survey_responses;
DROP TABLE survey_recipients;
DROP TABLE survey_sends;
DROP TABLE surveys;

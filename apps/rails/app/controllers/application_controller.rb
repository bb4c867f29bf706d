class ApplicationController < ActionController::API
  include ErrorResponses

  # Bodies are read field by field by the forms (app/forms), never wrapped under a root key.
  wrap_parameters false
end

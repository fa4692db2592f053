"""Patient-education FAQ chatbot: clinic documents in, cited answers with a fixed disclaimer out."""
